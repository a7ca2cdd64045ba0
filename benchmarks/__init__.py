"""The benchmark harness (``make bench``; ``python -m benchmarks.bench --help``).

Nothing here is imported by the product; the product is imported from here. SaudiNewsNet
(CC BY-NC-SA 4.0) is read from ``../shared`` and never copied into the repository; generated
corpora and benchmark archives live in a cache folder outside it.
"""
