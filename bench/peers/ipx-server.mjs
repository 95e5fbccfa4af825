// ipx as the benchmark's image-server peer: one Node process serving the corpus folder, no result cache (ipx has none),
// so every request decodes and resizes, like a Direkt miss.  node ipx-server.mjs DIR PORT
import { createServer } from "node:http";
import { createIPX, createIPXNodeServer, ipxFSStorage } from "ipx";

const [dir, port] = process.argv.slice(2);
const ipx = createIPX({ storage: ipxFSStorage({ dir }) });
createServer(createIPXNodeServer(ipx)).listen(Number(port), "127.0.0.1", () => console.log(`ipx listening on ${port}`));
