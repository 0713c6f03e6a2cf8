{
  "targets": [
    {
      "target_name": "symlink_doctor",
      "sources": ["src/binding.c", "src/common.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='win'", {
          "sources": [
            "src/reparse.c",
            "src/win/error.c",
            "src/win/path.c",
            "src/win/link.c",
            "src/win/probe.c",
            "src/win/detect.c",
            "src/win/grant.c"
          ],
          "defines": ["UNICODE", "_UNICODE", "WIN32_LEAN_AND_MEAN"],
          "libraries": ["advapi32.lib", "bcrypt.lib"]
        }, {
          "sources": [
            "src/unix/link.c",
            "src/unix/probe.c",
            "src/unix/fsname.c",
            "src/unix/system.c"
          ],
          "defines": ["_GNU_SOURCE"]
        }]
      ]
    }
  ]
}
