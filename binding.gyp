{
  "targets": [
    {
      "target_name": "pipefork",
      "sources": ["native/binding.cc", "native/posix.cc", "native/binding_process.cc", "native/process.cc", "native/spawn.cc", "native/posix_env.cc", "native/binding_env.cc", "native/nowait.cc", "native/ready.cc", "native/socket.cc", "native/binding_socket.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "<!@(node scripts/gyp-flags.js cflags)"],
      "ldflags": ["<!@(node scripts/gyp-flags.js ldflags)"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra"]
      },
      "conditions": [["OS=='win'", {"type": "none"}]]
    }
  ]
}
