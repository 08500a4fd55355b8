// Validates a Volatility 3 ISF JSON file against schema-6.3.0.json.
// Usage: node validate.js FILE.json   (exit 0 valid, 1 invalid)
// Uses ajv from tests/sarif/node_modules (installed by scripts/setup.sh).
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, '..', '..', 'sarif', 'node_modules');
const Ajv = require(path.join(modules, 'ajv'));
const addFormats = require(path.join(modules, 'ajv-formats'));

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schema-6.3.0.json'), 'utf8'));
// The schema names its draft loosely ("schema#") and uses the draft-04 "id":
// validate with draft-07 semantics, without checking the schema itself.
delete schema.$schema;
delete schema.id;
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const isf = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (!validate(isf)) {
  console.error(validate.errors.slice(0, 20).map((e) => `${e.instancePath} ${e.message}`).join('\n'));
  process.exit(1);
}
console.log(`valid ISF: ${Object.keys(isf.user_types).length} user types, ${Object.keys(isf.symbols).length} symbols`);
