#!/usr/bin/env bash
# Run a throwaway single-node Elasticsearch for development and tests.
#
#   scripts/es-node.sh up       start (idempotent); prints the URL on the last line of stdout
#   scripts/es-node.sh down     stop the node and delete its data (idempotent)
#   scripts/es-node.sh status   "running"/"not running" and the URL (exit 0 if running, 3 if not)
#   scripts/es-node.sh url      print the URL
#
# Elasticsearch comes from Maven Central (the official integration-test zip, fetched
# once with mvn and cached outside the repository). It runs as an unprivileged user
# (created if missing) when this script runs as root, with security off, bound to
# 127.0.0.1, single-node discovery, and data/logs in a temporary run directory that
# `down` removes. Only the URL goes to stdout; progress and errors go to stderr.
#
# Environment (all optional):
#   ARCHIVE_ES_PORT          HTTP port (default 9200); must be free
#   ARCHIVE_ES_VERSION       Elasticsearch version (default 9.3.2)
#   ARCHIVE_ES_CACHE_DIR     cache root for the zip and the unpacked distribution
#                            (default /var/cache/arabic-archive/elasticsearch as root,
#                            ${XDG_CACHE_HOME:-~/.cache}/arabic-archive/elasticsearch otherwise)
#   ARCHIVE_ES_HOME          the unpacked distribution (default $ARCHIVE_ES_CACHE_DIR/<version>/elasticsearch-<version>)
#   ARCHIVE_ES_RUN_DIR       config, data, logs and pidfile of the running node
#                            (default /tmp/arabic-archive-es-<port>; deleted by `down`;
#                            must be an absolute path at least two levels deep)
#   ARCHIVE_ES_HEAP          JVM heap, used for -Xms and -Xmx (default 512m)
#   ARCHIVE_ES_JAVA_OPTS     extra JVM options
#   ARCHIVE_ES_JAVA_HOME     JDK to run Elasticsearch (default: ES_JAVA_HOME, else the newest
#                            /usr/lib/jvm/temurin-*, else any JDK >= 21 in /usr/lib/jvm)
#   ARCHIVE_ES_USER          user that runs Elasticsearch when invoked as root (default archive-es)
#   ARCHIVE_ES_TIMEOUT       seconds to wait for the node to become healthy (default 180)
#   ARCHIVE_ES_MAVEN_REPO    Maven local repository for the download (default: Maven's own, ~/.m2/repository)
#   ARCHIVE_ES_ROOT_ENDPOINT 1 (default): build a tiny plugin so that GET / and HEAD / work
#                            (the integration-test zip lacks them); 0: don't
#   ARCHIVE_ES_SYSCTL        1 (default): as root, raise vm.max_map_count to 262144 if lower;
#                            0: never touch sysctl (mmap is then turned off if the limit is low)
set -euo pipefail

readonly ES_VERSION="${ARCHIVE_ES_VERSION:-9.3.2}"
readonly ES_MIN_JAVA=21
readonly ES_MVN_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
readonly ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
# sha512 of elasticsearch-<version>.zip as published on Maven Central (checked when known).
declare -A ES_ZIP_SHA512=(
  [9.3.2]=3808f6d3156c5c08b864323aee33eb3abcb369979fea36949ff002bb8d851bc6bad7646826db9ccc614160b074d7da6da87e6b3144b9c0cb77c060f01c3e579a
)

readonly ES_HOST=127.0.0.1
readonly ES_PORT="${ARCHIVE_ES_PORT:-9200}"
if ! [[ $ES_PORT =~ ^[0-9]{1,5}$ ]] || ((10#$ES_PORT < 1 || 10#$ES_PORT > 65535)); then
  echo "es-node: error: ARCHIVE_ES_PORT must be a TCP port number, got '${ES_PORT}'" >&2
  exit 2
fi
readonly ES_URL="http://${ES_HOST}:${ES_PORT}"
readonly ES_CLUSTER_NAME=arabic-archive
readonly ES_HEAP="${ARCHIVE_ES_HEAP:-512m}"
readonly ES_TIMEOUT="${ARCHIVE_ES_TIMEOUT:-180}"
readonly ES_STOP_TIMEOUT=60
readonly ES_USER_NAME="${ARCHIVE_ES_USER:-archive-es}"

if ((EUID == 0)); then
  readonly AS_ROOT=1
  _default_cache=/var/cache/arabic-archive/elasticsearch
else
  readonly AS_ROOT=0
  _default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/arabic-archive/elasticsearch"
fi
readonly ES_CACHE_DIR="${ARCHIVE_ES_CACHE_DIR:-$_default_cache}"
readonly ES_ZIP="${ES_CACHE_DIR}/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"
readonly ES_HOME_DIR="${ARCHIVE_ES_HOME:-${ES_CACHE_DIR}/${ES_VERSION}/elasticsearch-${ES_VERSION}}"
readonly ES_RUN_DIR="${ARCHIVE_ES_RUN_DIR:-/tmp/arabic-archive-es-${ES_PORT}}"
readonly ES_PIDFILE="${ES_RUN_DIR}/es.pid"
readonly ES_MARKER="${ES_RUN_DIR}/.arabic-archive-es-node"
readonly ES_STARTLOG="${ES_RUN_DIR}/startup.log"
readonly ES_LOGFILE="${ES_RUN_DIR}/logs/${ES_CLUSTER_NAME}.log"
readonly ES_LOCKFILE="/tmp/arabic-archive-es-${ES_PORT}.lock"

log() { printf 'es-node: %s\n' "$*" >&2; }
die() {
  printf 'es-node: error: %s\n' "$*" >&2
  exit 1
}

# Recursive delete/chmod/chown, refused unless the path is absolute, at least two levels
# deep and free of '..' (so a mistake can never reach / or a top-level folder).
check_deep_path() {
  [[ $1 =~ ^/[^/]+/[^/]+ && $1 != *'/..'* ]] || die "refusing to touch '${1}' recursively"
}
safe_rm() {
  check_deep_path "$1"
  rm -rf -- "$1"
}

# --- locking -----------------------------------------------------------------

# Holds an exclusive lock on file $1 until the (sub)shell exits.
take_lock() {
  local fd
  command -v flock >/dev/null 2>&1 || return 0
  exec {fd}>"$1"
  flock -w 300 "$fd" || die "timed out waiting for the lock $1"
}

# --- the running node --------------------------------------------------------

# Prints the pid of the node started by this script for this run directory, if alive.
node_pid() {
  local pid
  [[ -r $ES_PIDFILE ]] || return 1
  pid="$(tr -dc '0-9' <"$ES_PIDFILE")"
  [[ -n $pid ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be an Elasticsearch JVM using our run directory.
  tr '\0' '\n' 2>/dev/null <"/proc/${pid}/cmdline" | grep -qxF -- "-Djava.io.tmpdir=${ES_RUN_DIR}/tmp" || return 1
  printf '%s\n' "$pid"
}

# Pids of any Elasticsearch JVM using our run directory, pidfile or not (e.g. a start that
# was cut short before the pidfile was written).
run_dir_pids() {
  local f
  # One grep over every command line; \x00 anchors the end of the argument.
  grep -lsaP -- "\\Q-Djava.io.tmpdir=${ES_RUN_DIR}/tmp\\E\\x00" /proc/[0-9]*/cmdline 2>/dev/null |
    while read -r f; do
      f="${f#/proc/}"
      printf '%s\n' "${f%/cmdline}"
    done
  return 0
}

healthy() {
  curl -fsS --max-time 5 -o /dev/null \
    "${ES_URL}/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

port_in_use() { (exec 3<>"/dev/tcp/${ES_HOST}/${ES_PORT}") 2>/dev/null; }

show_logs() {
  if [[ -s $ES_STARTLOG ]]; then
    printf -- '---- output of bin/elasticsearch (%s), without INFO lines and stack frames ----\n' "$ES_STARTLOG" >&2
    grep -vE '^[[:space:]]+at |^[[:space:]]+\.\.\. [0-9]+ more|\]\[INFO ?\]' "$ES_STARTLOG" | tail -n 30 >&2 || true
  fi
  if [[ -s $ES_LOGFILE ]]; then
    printf -- '---- warnings and errors in %s ----\n' "$ES_LOGFILE" >&2
    grep -E '\]\[(WARN|ERROR|FATAL) ?\]|^Caused by|^[a-z.]+\.[A-Za-z]+(Exception|Error)' "$ES_LOGFILE" | tail -n 20 >&2 || true
  fi
  printf -- '----\n' >&2
  if grep -qs 'BindHttpException\|Address already in use' "$ES_STARTLOG" "$ES_LOGFILE"; then
    log "hint: port ${ES_PORT} (or a transport port 9300-9399) was taken while starting; choose another with ARCHIVE_ES_PORT"
  fi
}

# Waits until the cluster is yellow or better, the process dies or the deadline passes.
wait_healthy() { # $1 = pid (may be empty), $2 = deadline in $SECONDS (default: now + timeout)
  local pid="$1" deadline="${2:-$((SECONDS + ES_TIMEOUT))}"
  while ((SECONDS < deadline)); do
    healthy && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "the Elasticsearch process (pid ${pid}) exited"
      return 1
    fi
    sleep 1
  done
  log "no healthy answer from ${ES_URL} within ${ES_TIMEOUT}s"
  return 1
}

stop_pid() { # $1 = pid
  local pid="$1" deadline=$((SECONDS + ES_STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "pid ${pid} did not stop within ${ES_STOP_TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
}

# Deletes the run directory, but only one this script created (it holds the marker).
remove_run_dir() {
  [[ -e $ES_RUN_DIR || -L $ES_RUN_DIR ]] || return 0
  if [[ -L $ES_RUN_DIR || ! -d $ES_RUN_DIR ]]; then
    die "${ES_RUN_DIR} exists and is not a directory; remove it or set ARCHIVE_ES_RUN_DIR"
  fi
  if [[ ! -e $ES_MARKER ]] && [[ -n "$(ls -A "$ES_RUN_DIR")" ]]; then
    die "${ES_RUN_DIR} is not empty and was not made by this script; remove it or set ARCHIVE_ES_RUN_DIR"
  fi
  safe_rm "$ES_RUN_DIR"
}

# --- Java --------------------------------------------------------------------

java_major() { # $1 = JDK home; prints its major version (0 if unknown)
  local v=""
  if [[ -r $1/release ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")"
  fi
  if [[ -z $v && -x $1/bin/java ]]; then
    v="$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  fi
  printf '%s\n' "${v:-0}"
}

find_java() {
  local c explicit="${ARCHIVE_ES_JAVA_HOME:-${ES_JAVA_HOME:-}}"
  local -a candidates=()
  if [[ -n $explicit ]]; then
    [[ -x $explicit/bin/java ]] || die "no executable bin/java under ${explicit} (ARCHIVE_ES_JAVA_HOME/ES_JAVA_HOME)"
    (($(java_major "$explicit") >= ES_MIN_JAVA)) ||
      die "${explicit} is Java $(java_major "$explicit"); Elasticsearch ${ES_VERSION} needs Java ${ES_MIN_JAVA}+"
    printf '%s\n' "$explicit"
    return
  fi
  # Newest Temurin first, then any other JDK in /usr/lib/jvm, then JAVA_HOME and java on PATH.
  mapfile -t candidates < <(
    compgen -G '/usr/lib/jvm/temurin-*' | sort -rV || true
    compgen -G '/usr/lib/jvm/*' | sort -rV || true
  )
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    [[ -d $c && ! -L $c && -x $c/bin/java ]] || continue
    if (($(java_major "$c") >= ES_MIN_JAVA)); then
      printf '%s\n' "$c"
      return
    fi
  done
  die "no JDK ${ES_MIN_JAVA}+ found (looked in /usr/lib/jvm, JAVA_HOME, PATH); set ARCHIVE_ES_JAVA_HOME"
}

# --- the distribution --------------------------------------------------------

dist_ok() { [[ -x $ES_HOME_DIR/bin/elasticsearch && -f $ES_HOME_DIR/lib/elasticsearch-${ES_VERSION}.jar ]]; }

unzip_to() { # $1 = zip, $2 = destination directory
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$1" -d "$2"
  elif command -v python3 >/dev/null 2>&1; then
    # Fallback that keeps the executable bits (python's zipfile alone drops them).
    python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o7777
        if mode:
            os.chmod(path, mode)
PY
  else
    die "neither unzip nor python3 is available to unpack ${1} (apt-get install unzip)"
  fi
}

verify_zip() { # $1 = zip
  local want="${ES_ZIP_SHA512[$ES_VERSION]:-}" got
  if [[ -z $want ]]; then
    log "warning: no pinned sha512 for Elasticsearch ${ES_VERSION}; the zip is not verified"
    return 0
  fi
  got="$(sha512sum "$1" | cut -d' ' -f1)"
  [[ $got == "$want" ]] || {
    log "sha512 mismatch for $1: expected ${want}, got ${got}"
    return 1
  }
}

fetch_zip() {
  local work out mvn_log
  # No -C (strict checksums): Maven Central publishes neither a .pom nor .sha1/.md5 files
  # for this artifact, so Maven cannot check it; the pinned sha512 above does instead.
  local -a mvn_args=(-B)
  command -v mvn >/dev/null 2>&1 ||
    die "mvn (Maven) is needed once to fetch Elasticsearch from Maven Central: apt-get install maven"
  [[ -n ${ARCHIVE_ES_MAVEN_REPO:-} ]] && mvn_args+=("-Dmaven.repo.local=${ARCHIVE_ES_MAVEN_REPO}")
  work="$(mktemp -d "${ES_CACHE_DIR}/${ES_VERSION}/.fetch.XXXXXX")"
  out="${work}/out"
  mvn_log="${work}/mvn.log"
  log "downloading ${ES_ARTIFACT} from Maven Central with mvn (once; cached in ${ES_CACHE_DIR}/${ES_VERSION})"
  # Run from an empty directory so that no project pom.xml is picked up.
  if ! (cd "$work" && mvn "${mvn_args[@]}" "${ES_MVN_PLUGIN}:copy" \
    "-Dartifact=${ES_ARTIFACT}" "-DoutputDirectory=${out}" -Dmdep.useBaseVersion=true) >"$mvn_log" 2>&1; then
    grep -E '\[(ERROR|WARNING)\]' "$mvn_log" | head -n 40 >&2 || tail -n 40 "$mvn_log" >&2
    safe_rm "$work"
    die "mvn could not fetch ${ES_ARTIFACT}"
  fi
  [[ -f ${out}/elasticsearch-${ES_VERSION}.zip ]] || {
    tail -n 40 "$mvn_log" >&2
    safe_rm "$work"
    die "mvn finished but ${out}/elasticsearch-${ES_VERSION}.zip is missing"
  }
  verify_zip "${out}/elasticsearch-${ES_VERSION}.zip" || {
    safe_rm "$work"
    die "the downloaded zip failed its checksum"
  }
  mv -f -- "${out}/elasticsearch-${ES_VERSION}.zip" "$ES_ZIP"
  safe_rm "$work"
}

ensure_dist() {
  dist_ok && return 0
  mkdir -p -- "${ES_CACHE_DIR}/${ES_VERSION}"
  chmod 755 -- "${ES_CACHE_DIR}/${ES_VERSION}" 2>/dev/null || true
  (
    take_lock "${ES_CACHE_DIR}/${ES_VERSION}/.lock"
    dist_ok && exit 0
    if [[ -f $ES_ZIP ]] && ! verify_zip "$ES_ZIP"; then
      log "discarding the corrupt cached zip ${ES_ZIP}"
      rm -f -- "$ES_ZIP"
    fi
    [[ -f $ES_ZIP ]] || fetch_zip
    if [[ -e $ES_HOME_DIR ]]; then
      [[ -d $ES_HOME_DIR && -z "$(ls -A "$ES_HOME_DIR")" ]] ||
        die "${ES_HOME_DIR} exists but is not an Elasticsearch ${ES_VERSION} distribution; remove it or change ARCHIVE_ES_HOME"
      rmdir -- "$ES_HOME_DIR"
    fi
    local parent tmp
    parent="$(dirname "$ES_HOME_DIR")"
    mkdir -p -- "$parent"
    tmp="$(mktemp -d "${parent}/.unpack.XXXXXX")"
    log "unpacking ${ES_ZIP} into ${ES_HOME_DIR}"
    unzip_to "$ES_ZIP" "$tmp" || {
      safe_rm "$tmp"
      die "could not unpack ${ES_ZIP}"
    }
    [[ -d ${tmp}/elasticsearch-${ES_VERSION} ]] || {
      safe_rm "$tmp"
      die "${ES_ZIP} has no top-level elasticsearch-${ES_VERSION}/ folder"
    }
    # The distribution is only read by the node: world-readable, owned by whoever unpacked it.
    check_deep_path "${tmp}/elasticsearch-${ES_VERSION}"
    chmod -R u+rwX,go+rX,go-w -- "${tmp}/elasticsearch-${ES_VERSION}"
    mv -- "${tmp}/elasticsearch-${ES_VERSION}" "$ES_HOME_DIR"
    safe_rm "$tmp"
  )
  dist_ok || die "Elasticsearch ${ES_VERSION} is not usable at ${ES_HOME_DIR}"
}

# --- GET / and HEAD / ---------------------------------------------------------
# The integration-test distribution lacks the rest-root module, so `GET /` (client.info())
# and `HEAD /` (client.ping()) answer 405. This tiny plugin, compiled once against the
# distribution's own jars and cached inside it, restores both endpoints.

readonly ROOT_PLUGIN_NAME=archive-root-endpoint

root_plugin_source() {
  cat <<'JAVA'
package org.arabicarchive.esroot;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Answers GET / and HEAD / with the usual node and version summary. */
public class RootEndpointPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler());
    }

    private final class RootHandler extends BaseRestHandler {
        @Override
        public String getName() {
            return "archive_root_endpoint";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        public boolean canTripCircuitBreaker() {
            return false;
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            final boolean pretty = request.hasParam("pretty") == false;
            return channel -> {
                ClusterState state = clusterService.state();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                if (pretty) {
                    b.prettyPrint().lfAtEnd();
                }
                b.startObject();
                b.field("name", clusterService.getNodeName());
                b.field("cluster_name", state.getClusterName().value());
                b.field("cluster_uuid", state.metadata().clusterUUID());
                b.startObject("version");
                b.field("number", build.qualifiedVersion());
                b.field("build_flavor", build.flavor());
                b.field("build_type", build.type().displayName());
                b.field("build_hash", build.hash());
                b.field("build_date", build.date());
                b.field("build_snapshot", build.isSnapshot());
                b.field("lucene_version", IndexVersion.current().luceneVersion().toString());
                b.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
                b.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
                b.endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }
}
JAVA
}

ensure_root_plugin() { # $1 = JDK home
  local jdk="$1" plugins="${ES_HOME_DIR}/plugins" dir stamp want work
  dir="${plugins}/${ROOT_PLUGIN_NAME}"
  if [[ ${ARCHIVE_ES_ROOT_ENDPOINT:-1} == 0 ]]; then
    [[ -d $dir ]] && safe_rm "$dir"
    return 0
  fi
  # A full distribution has its own GET / (module rest-root); two would clash.
  [[ -d ${ES_HOME_DIR}/modules/rest-root ]] && return 0
  want="$( (root_plugin_source && printf '%s\n' "$ES_VERSION") | sha256sum | cut -d' ' -f1)"
  stamp="$(cat "${dir}/source.sha256" 2>/dev/null || true)"
  [[ $stamp == "$want" ]] && return 0
  if [[ ! -x ${jdk}/bin/javac || ! -x ${jdk}/bin/jar ]]; then
    log "warning: ${jdk} has no javac/jar; GET / and HEAD / (client.info()/ping()) will answer 405"
    return 0
  fi
  if [[ ! -w $plugins ]]; then
    log "warning: ${plugins} is not writable; GET / and HEAD / (client.info()/ping()) will answer 405"
    return 0
  fi
  log "building the ${ROOT_PLUGIN_NAME} plugin (GET / and HEAD /) with ${jdk}/bin/javac"
  work="$(mktemp -d "${plugins}/.build.XXXXXX")"
  local src="${work}/src/org/arabicarchive/esroot/RootEndpointPlugin.java" out="${work}/${ROOT_PLUGIN_NAME}"
  mkdir -p -- "$(dirname "$src")" "${work}/classes" "$out"
  root_plugin_source >"$src"
  if ! "${jdk}/bin/javac" --release "$ES_MIN_JAVA" -nowarn -proc:none -cp "${ES_HOME_DIR}/lib/*" \
    -d "${work}/classes" "$src" >"${work}/build.log" 2>&1 ||
    ! "${jdk}/bin/jar" --create --file "${out}/${ROOT_PLUGIN_NAME}.jar" -C "${work}/classes" . >>"${work}/build.log" 2>&1; then
    cat "${work}/build.log" >&2
    safe_rm "$work"
    log "warning: could not build ${ROOT_PLUGIN_NAME}; GET / and HEAD / (client.info()/ping()) will answer 405"
    return 0
  fi
  {
    printf 'description=GET / and HEAD / for the arabic-archive test node (built by scripts/es-node.sh)\n'
    printf 'version=%s\n' "$ES_VERSION"
    printf 'name=%s\n' "$ROOT_PLUGIN_NAME"
    printf 'classname=org.arabicarchive.esroot.RootEndpointPlugin\n'
    printf 'java.version=%s\n' "$ES_MIN_JAVA"
    printf 'elasticsearch.version=%s\n' "$ES_VERSION"
  } >"${out}/plugin-descriptor.properties"
  printf '%s\n' "$want" >"${out}/source.sha256"
  check_deep_path "$out"
  chmod -R u+rwX,go+rX,go-w -- "$out"
  [[ -d $dir ]] && safe_rm "$dir"
  mv -- "$out" "$dir"
  safe_rm "$work"
}

# --- the user ----------------------------------------------------------------

ensure_user() {
  id -u "$ES_USER_NAME" >/dev/null 2>&1 && return 0
  command -v useradd >/dev/null 2>&1 || die "useradd is missing; cannot create the user ${ES_USER_NAME}"
  log "creating the system user ${ES_USER_NAME} (Elasticsearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "arabic-archive Elasticsearch" "$ES_USER_NAME"
}

as_es_user() {
  if ((AS_ROOT)); then
    runuser -u "$ES_USER_NAME" -- "$@"
  else
    "$@"
  fi
}

# --- the node's configuration ------------------------------------------------

# mmap needs vm.max_map_count >= 262144 for real workloads; single-node mode only warns.
mmap_setting() {
  local current want=262144
  current="$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo "$want")"
  ((current >= want)) && return 0
  if ((AS_ROOT)) && [[ ${ARCHIVE_ES_SYSCTL:-1} != 0 ]]; then
    if sysctl -q -w "vm.max_map_count=${want}" >/dev/null 2>&1; then
      log "raised vm.max_map_count from ${current} to ${want}"
      return 0
    fi
  fi
  log "vm.max_map_count is ${current} (< ${want}); running with node.store.allow_mmap: false"
  printf 'node.store.allow_mmap: false\n'
}

prepare_run_dir() {
  local conf="${ES_RUN_DIR}/config" logs="${ES_RUN_DIR}/logs"
  remove_run_dir
  mkdir -p -- "$ES_RUN_DIR"
  : >"$ES_MARKER"
  mkdir -p -- "$conf" "${ES_RUN_DIR}/data" "$logs" "${ES_RUN_DIR}/tmp"
  cp -R -- "${ES_HOME_DIR}/config/." "$conf/"

  local extra
  extra="$(mmap_setting)"
  cat >"${conf}/elasticsearch.yml" <<EOF
# Written by scripts/es-node.sh: throwaway single-node development/test cluster.
cluster.name: ${ES_CLUSTER_NAME}
node.name: archive-es-${ES_PORT}
path.data: ${ES_RUN_DIR}/data
path.logs: ${logs}
network.host: ${ES_HOST}
http.port: ${ES_PORT}
discovery.type: single-node
xpack.security.enabled: false
# Never block writes or move shards because the disk is nearly full.
cluster.routing.allocation.disk.threshold_enabled: false
${extra}
EOF

  # The stock jvm.options writes gc.log and hs_err files into the working directory;
  # send them to the logs folder and keep the GC log small.
  sed -i \
    -e "s|^-Xlog:gc.*|-Xlog:gc*,gc+age=trace,safepoint:file=${logs}/gc.log:utctime,level,pid,tags:filecount=2,filesize=16m|" \
    -e "s|^-XX:ErrorFile=.*|-XX:ErrorFile=${logs}/hs_err_pid%p.log|" \
    "${conf}/jvm.options"
  mkdir -p -- "${conf}/jvm.options.d"
  cat >"${conf}/jvm.options.d/archive.options" <<EOF
-Xms${ES_HEAP}
-Xmx${ES_HEAP}
-XX:HeapDumpPath=${logs}
EOF

  if ((AS_ROOT)); then
    check_deep_path "$ES_RUN_DIR"
    chown -R "${ES_USER_NAME}:" -- "$ES_RUN_DIR"
  fi
  chmod 750 -- "$ES_RUN_DIR"
}

# --- commands ----------------------------------------------------------------

cmd_up() {
  local pid java_home rc=0

  take_lock "$ES_LOCKFILE"

  if pid="$(node_pid)"; then
    if wait_healthy "$pid"; then
      log "already running (pid ${pid})"
      printf '%s\n' "$ES_URL"
      return 0
    fi
    show_logs
    die "the node started earlier (pid ${pid}) is not healthy; run '$0 down' and try again"
  fi

  if port_in_use; then
    local who
    who="$(curl -s --max-time 3 "${ES_URL}/" 2>/dev/null | tr -s ' \n' ' ' | cut -c1-160 || true)"
    die "port ${ES_PORT} on ${ES_HOST} is already in use by another process, not a node started by this script${who:+ (it answers: ${who})}. Stop it or choose another port with ARCHIVE_ES_PORT."
  fi

  java_home="$(find_java)"
  ensure_dist
  ensure_root_plugin "$java_home"
  if ((AS_ROOT)); then
    ensure_user
    as_es_user test -r "${ES_HOME_DIR}/lib/elasticsearch-${ES_VERSION}.jar" -a -x "${ES_HOME_DIR}/bin/elasticsearch" ||
      die "user ${ES_USER_NAME} cannot read ${ES_HOME_DIR} (is a parent folder private, like /root?); set ARCHIVE_ES_HOME or ARCHIVE_ES_CACHE_DIR to a readable place"
    as_es_user test -x "${java_home}/bin/java" ||
      die "user ${ES_USER_NAME} cannot run ${java_home}/bin/java"
  fi
  prepare_run_dir

  log "starting Elasticsearch ${ES_VERSION} on ${ES_URL} (java: ${java_home}, heap: ${ES_HEAP}, run dir: ${ES_RUN_DIR})"
  local deadline=$((SECONDS + ES_TIMEOUT))
  # A clean environment: no stray JAVA_TOOL_OPTIONS/JAVA_HOME/etc. from the caller.
  (
    cd "$ES_RUN_DIR"
    # Elasticsearch wants 65535 open files (only a warning in single-node mode).
    ulimit -n 65535 2>/dev/null || true
    as_es_user env -i \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME="$ES_RUN_DIR" LANG=C.UTF-8 \
      ES_JAVA_HOME="$java_home" \
      ES_PATH_CONF="${ES_RUN_DIR}/config" \
      ES_TMPDIR="${ES_RUN_DIR}/tmp" \
      ES_JAVA_OPTS="${ARCHIVE_ES_JAVA_OPTS:-}" \
      timeout "$ES_TIMEOUT" "${ES_HOME_DIR}/bin/elasticsearch" -d -p "$ES_PIDFILE"
  ) >"$ES_STARTLOG" 2>&1 </dev/null || rc=$?

  pid="$(node_pid || true)"
  if ((rc != 0)) || ! wait_healthy "$pid" "$deadline"; then
    ((rc == 0)) || log "bin/elasticsearch exited with status ${rc}"
    show_logs
    for pid in $(run_dir_pids); do stop_pid "$pid"; done
    die "Elasticsearch did not start; its files are kept in ${ES_RUN_DIR} ('$0 down' removes them)"
  fi
  log "up: pid ${pid}, logs in ${ES_RUN_DIR}/logs"
  printf '%s\n' "$ES_URL"
}

cmd_down() {
  local pid
  take_lock "$ES_LOCKFILE"
  if pid="$(node_pid)"; then
    log "stopping Elasticsearch (pid ${pid})"
    stop_pid "$pid"
  else
    log "not running"
  fi
  for pid in $(run_dir_pids); do
    log "stopping a leftover Elasticsearch process (pid ${pid})"
    stop_pid "$pid"
  done
  remove_run_dir
}

cmd_status() {
  local pid
  if pid="$(node_pid)"; then
    if healthy; then
      printf 'running (pid %s) %s\n' "$pid" "$ES_URL"
    else
      printf 'running but not healthy yet (pid %s) %s\n' "$pid" "$ES_URL"
    fi
    return 0
  fi
  printf 'not running %s\n' "$ES_URL"
  return 3
}

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  up | down) check_deep_path "$ES_RUN_DIR" ;;
esac
case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  url) printf '%s\n' "$ES_URL" ;;
  *) usage ;;
esac
