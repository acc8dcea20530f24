// A local Bluesky network for Varde's end-to-end tests: PLC + PDS + AppView (+ Ozone, which
// TestNetwork always starts), from @atproto/dev-env. Mirrors dev-env's own bin.js.
// Ports: VARDE_ATP_PORT_BASE + 0 PLC, +1 PDS, +2 AppView, +3 Ozone, +4 a control server whose
// GET /process-all waits until the AppView has indexed everything (it indexes asynchronously).
// Needs DB_POSTGRES_URL and REDIS_HOST (the AppView's), started by the test fixture.
import http from 'node:http'
import { TestNetwork } from '@atproto/dev-env'

const base = Number(process.env.VARDE_ATP_PORT_BASE || 8170)
const started = Date.now()
const network = await TestNetwork.create({
  dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA || 'varde',
  plc: { port: base },
  pds: { port: base + 1, hostname: 'localhost', enableDidDocWithSession: true },
  bsky: { port: base + 2, publicUrl: `http://localhost:${base + 2}` },
  ozone: { port: base + 3, chatUrl: 'http://localhost:2590', chatDid: 'did:example:chat' },
})
const control = http.createServer(async (req, res) => {
  try {
    if (req.url === '/process-all') {
      await network.processAll()
      res.end('ok\n')
    } else {
      res.statusCode = 404
      res.end()
    }
  } catch (error) {
    res.statusCode = 500
    res.end(String(error))
  }
}).listen(base + 4, '127.0.0.1')
console.log(`READY in ${Date.now() - started} ms`)
const stop = async () => {
  control.close()
  await network.close().catch(console.error)
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
