#!/usr/bin/env bash
# Installs what nettrace needs on a Debian 12 host, only what is missing (Debian packages, npm
# packages), then vendors libbpf.
# Idempotent and quiet when everything is already there, so `npm start` / `npm test` can call it every time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Every program the runtime, the build, the tests, lint, bench and test-kernel start is declared
# once, with its Debian package, in packages/core/host-programs.json (tooling/test/host-programs.test.ts
# keeps that list complete). Install the packages that are missing, then check every program.
list="$here/../../packages/core/host-programs.json"
mapfile -t packages < <(node -e '
  const l = require(process.argv[1]);
  const all = [...Object.values(l.programs), ...Object.entries(l.files).filter(([k]) => k !== "$comment").map(([, v]) => v)];
  console.log([...new Set(all.filter((e) => e.package && e.host !== false).map((e) => e.package))].sort().join("\n"));
' "$list")

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "nettrace setup: missing Debian packages: ${missing[*]}" >&2
        echo "  fix: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "nettrace setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Each declared program must now resolve (a package can be installed and still not provide the
# program under that name): fail naming the program and its package.
unresolved=$(node -e '
  const { execFileSync } = require("node:child_process");
  const { existsSync } = require("node:fs");
  const l = require(process.argv[1]);
  const on = (p) => { try { execFileSync("sh", ["-c", `command -v "${p}"`], { stdio: "ignore" }); return true; } catch { return false; } };
  const bad = [];
  for (const [p, e] of Object.entries(l.programs)) if (e.host !== false && !on(p)) bad.push(`${p} (${e.package ? `package ${e.package}` : e.provided})`);
  for (const [f, e] of Object.entries(l.files)) if (f !== "$comment" && !existsSync(f)) bad.push(`${f} (package ${e.package})`);
  console.log(bad.join(", "));
' "$list")
if [ -n "$unresolved" ]; then
    echo "nettrace setup: still missing after install: $unresolved" >&2
    echo "  fix: apt-get install the packages named (packages/core/host-programs.json lists what needs each)" >&2
    exit 1
fi

# The npm packages of package-lock.json, when node_modules is missing or older than the lock
# (a fresh clone: `npm start` is the first command, there is no separate `npm install`).
# npm ci refuses this lock on some registries (platform packages it cannot list), so fall back to
# npm install, as .ci/run does. A stamp, not the lock's mtime: npm install may rewrite the lock.
root=$(cd "$here/../.." && pwd)
stamp="$root/node_modules/.nettrace-setup"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
    echo "nettrace setup: installing npm packages" >&2
    (cd "$root" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null ||
        npm install --no-audit --no-fund --loglevel=error; })
    touch "$stamp"
fi

bash "$here/vendor-libbpf.sh"
