// better-sqlite3 compiles from source on machines where no prebuilt binary can be downloaded.
// node-gyp then needs Node's headers; pnpm does not forward ~/.npmrc's nodedir to build scripts,
// so point it at the system headers when they are installed there.
const fs = require('node:fs')

module.exports = {
  hooks: {
    updateConfig(config) {
      if (fs.existsSync('/usr/include/node/node.h')) {
        config.extraEnv = { ...(config.extraEnv ?? {}), npm_config_nodedir: '/usr' }
      }
      return config
    },
  },
}
