// Validates a SARIF log against the OASIS SARIF 2.1.0 JSON schema (draft-04),
// plus GitHub code scanning's own requirements:
//   every result has a location with physicalLocation.artifactLocation.uri
//   and a region whose startLine is at least 1 (GitHub shows no result
//   without one, and one bad result rejects the whole file);
//   every result has partialFingerprints (else each upload duplicates alerts);
//   runs of one tool have distinct runAutomationDetails ids (categories);
//   rules with properties.security-severity carry the "security" tag.
// Usage: node validate.js LOG.sarif   (exit 0 valid, 1 invalid)
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
const log = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const problems = [];
if (!validate(log)) {
  for (const e of validate.errors) problems.push(`schema: ${e.instancePath} ${e.message}`);
}
const categories = new Set();
for (const run of log.runs || []) {
  const category = `${run.tool.driver.name}:${(run.automationDetails || {}).id || ''}`;
  if (categories.has(category)) problems.push(`github: two runs share the tool and category ${category}`);
  categories.add(category);
  (run.results || []).forEach((r, i) => {
    const ok = (r.locations || []).some((l) => l.physicalLocation && l.physicalLocation.artifactLocation &&
                                               l.physicalLocation.artifactLocation.uri);
    if (!ok) problems.push(`github: results[${i}] has no physicalLocation.artifactLocation.uri`);
    const located = (r.locations || []).every((l) => l.physicalLocation && l.physicalLocation.region &&
                                                     Number.isInteger(l.physicalLocation.region.startLine) &&
                                                     l.physicalLocation.region.startLine >= 1);
    if (!located) problems.push(`github: results[${i}] has a location without region.startLine >= 1`);
    if (!r.partialFingerprints || Object.keys(r.partialFingerprints).length === 0) {
      problems.push(`results[${i}] has no partialFingerprints`);
    }
  });
  for (const rule of (run.tool.driver.rules || [])) {
    const p = rule.properties || {};
    if (p['security-severity'] && !(p.tags || []).includes('security')) {
      problems.push(`github: rule ${rule.id} has security-severity without the security tag`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`valid SARIF 2.1.0: ${(log.runs[0].results || []).length} results`);
