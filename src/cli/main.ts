// The bin entry: runs the command line, then exits explicitly so that idle keep-alive sockets of SDK
// clients or sinks cannot keep a finished one-shot command alive.
import { main } from './program.js';

const code = await main(process.argv);
await new Promise((resolve) => setImmediate(resolve));
process.exit(code);
