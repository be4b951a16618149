#!/usr/bin/env bash
# docker-compose.yaml, checked as far as a machine without a Docker engine can: Debian's docker-compose parses
# and resolves it, Grafana gets the built plugin and the same provisioning files as the preview host, the three
# plugin ids are allowed unsigned, and the stack image is built from the repo's own Dockerfile.
set -uo pipefail
source scripts/lib/suite.sh

resolved="$VEZA_RESULTS/compose.resolved.yaml"
check "docker-compose config (parse and resolve)" bash -c "docker-compose -f docker-compose.yaml config >'$resolved'"

# q EXPR: evaluates a JavaScript expression over the resolved file (as `c`), failing unless it is true.
q() {
  node -e '
    const c = require("js-yaml").load(require("fs").readFileSync(process.argv[1], "utf8"));
    // A volume is "src:dst[:mode]" (docker-compose 1.x) or {source, target} (compose v2): [src, dst] either way.
    const mount = (v) => (typeof v === "string" ? v.split(":") : [v.source, v.target]);
    const ok = eval(process.argv[2]);
    if (!ok) { console.error("false: " + process.argv[2]); process.exit(1); }' "$resolved" "$1"
}
check "services: the stack and Grafana" q '["stack","grafana"].every((s) => c.services[s])'
check "Grafana mounts dist/ as the plugin" q 'c.services.grafana.volumes.map(mount).some(([s, t]) => s.endsWith("/dist") && t === "/var/lib/grafana/plugins/veza-slo-app")'
check "Grafana reads the repo's provisioning/" q 'c.services.grafana.volumes.map(mount).some(([s, t]) => s.endsWith("/provisioning") && t === "/etc/grafana/provisioning")'
check "the app and both nested plugins load unsigned" q '["veza-slo-app","veza-pgha-datasource","veza-pgtopology-panel"].every((id) => String(c.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(",").includes(id))'
check "anonymous visitors are at most Viewers (no anonymous Admin or Editor)" q '!/^(true|1)$/i.test(String(c.services.grafana.environment.GF_AUTH_ANONYMOUS_ENABLED)) || c.services.grafana.environment.GF_AUTH_ANONYMOUS_ORG_ROLE === "Viewer"'
check "the stack image is built from the repo" q 'require("fs").existsSync(require("path").join(c.services.stack.build.context, c.services.stack.build.dockerfile))'
finish
