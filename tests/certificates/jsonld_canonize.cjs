// Canonicalizes JSON-LD documents with jsonld.js (Digital Bazaar's JSON-LD processor, the one most
// Verifiable Credential wallets and verifiers run), to cross-check the product's PyLD output.
// stdin: {"contexts": {url: file}, "documents": [...]}; stdout: a JSON list of N-Quads strings.
// Only the given context files are served; "safe" mode makes a dropped term or relative IRI an error.
'use strict';
const fs = require('fs');
const path = require('path');
const jsonld = require(path.join(__dirname, '..', '..', 'node_modules', 'jsonld'));

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const documentLoader = async (url) => {
    if (!(url in input.contexts)) {
      throw new Error(`context not shipped: ${url}`);
    }
    const document = JSON.parse(fs.readFileSync(input.contexts[url], 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  };
  const out = [];
  for (const document of input.documents) {
    out.push(await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true,
    }));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
