'use strict'
// The doctor report: the library's diagnose report plus what the CLI adds
// (CI, process sandbox facts, the git finding), the checklist and the
// remedies. This object IS the --json output (lib/cli/report-schema.json).

const { diagnoseSync } = require('../diagnose')
const { detectCI } = require('./ci')
const { processFacts } = require('./proc-status')
const { buildChecks } = require('./checks')
const { chooseRemedies } = require('../remedy')
const { gitFinding } = require('../git')
const pkg = require('../../package.json')

// Version of the CLI's JSON shape; bumped on any incompatible change.
const CLI_SCHEMA_VERSION = 1

function buildReport (dir, env, { git = true } = {}) {
  const diag = diagnoseSync(dir)
  const report = {
    ...diag,
    schemaVersion: CLI_SCHEMA_VERSION,
    reportSchemaVersion: diag.schemaVersion,
    tool: { name: pkg.name, version: pkg.version },
    ci: detectCI(env),
    process: processFacts()
  }
  if (git) {
    const finding = gitFinding(report.dir)
    if (finding) report.git = finding
  }
  report.checks = buildChecks(report)
  report.remedies = chooseRemedies(report)
  return report
}

// The JSON document, with keys in a stable, readable order.
function toJSON (report) {
  const { schemaVersion, tool, ...rest } = report
  return JSON.stringify({ schemaVersion, tool, ...rest }, null, 2)
}

module.exports = { buildReport, toJSON, CLI_SCHEMA_VERSION }
