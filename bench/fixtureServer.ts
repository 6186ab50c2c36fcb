// The recorded answers of the online services on loopback, in a process of its own
// (bench/online.ts measures the client without the server's work on its event loop).
import { startFixtureServer } from '../test/harness/fixtureServer';

void startFixtureServer(process.argv[2] ?? process.cwd()).then((server) => {
  process.stdout.write(`${JSON.stringify(server.endpoints())}\n`);
});
