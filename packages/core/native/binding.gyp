{
  "variables": {
    # Vendored libbpf: static, -fPIC, built by tooling/bin/vendor-libbpf.sh (LIBBPF_ROOT overrides).
    "libbpf_root%": "<!(echo ${LIBBPF_ROOT:-$(cd ../../../tooling/.cache/libbpf-1.4.6/root/usr 2>/dev/null && pwd)})"
  },
  "targets": [{
    "target_name": "nettrace_core",
    "sources": [
      "src/addon.cc", "src/errors.cc", "src/object.cc", "src/attach.cc",
      "src/maps.cc", "src/ringbuf.cc", "src/perfbuf.cc", "src/btf.cc",
      "src/btf_merge.cc", "src/kallsyms.cc"
    ],
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")",
      "<(libbpf_root)/include"
    ],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
    "cflags_cc": ["-O2", "-std=c++17", "-Wall", "-Wextra", "-Wno-missing-field-initializers", "-Wno-unused-parameter"],
    # libbpf.a by full path keeps it static. libelf and zlib stay dynamic: Debian's libelf.a is not
    # position-independent (its TLS relocations cannot go into a shared object), and libelf.so.1
    # needs libz.so.1 anyway; both come with iproute2 on every Debian/Ubuntu host.
    "libraries": ["<(libbpf_root)/lib/libbpf.a", "-lelf", "-lz"],
    # Do not re-export libbpf's symbols from the .node.
    # The C++ runtime goes in statically, so the prebuilt binary needs no libstdc++/libgcc_s of the
    # host's (and no particular version of them).
    "ldflags": ["-Wl,--exclude-libs,ALL", "-static-libstdc++", "-static-libgcc"]
  }]
}
