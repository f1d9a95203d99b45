# shellcheck shell=bash
# Sourced by ./mvnw, ./segrel and .ci/run: exports JAVA_HOME pointing at a JDK >= 21. The release's
# bin/ scripts set SEGREL_JAVA_TOOL=java before sourcing it: to run segrel, a Java runtime (a JRE) is enough.
# Order: $JAVA_HOME if new enough, the `java` on PATH, then the newest JDK under the usual
# install folders. A person never has to export JAVA_HOME by hand.
segrel_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
segrel_find_jdk() {
  local want=21 candidate major best="" best_major=0 tool="${SEGREL_JAVA_TOOL:-javac}"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$tool" ]; then
    major=$(segrel_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge "$want" ]; then return 0; fi
  fi
  if command -v "$tool" >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v "$tool")")")")
    major=$(segrel_java_major "$candidate")
    if [ "${major:-0}" -ge "$want" ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME:-}"/.sdkman/candidates/java/* "${HOME:-}"/.jdks/*; do
    [ -x "$candidate/bin/$tool" ] || continue
    major=$(segrel_java_major "$candidate")
    if [ "${major:-0}" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  local what=JDK package=openjdk-21-jdk
  if [ "$tool" = java ]; then what="Java runtime"; package=openjdk-21-jre-headless; fi
  echo "segrel: no $what >= $want found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. apt-get install $package" >&2
  return 1
}
segrel_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
