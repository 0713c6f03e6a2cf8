'use strict'
// Which CI system runs us, from the variables each one sets. On CI the
// remedy is different: nobody can click a Settings page, and the agent runs
// as a service account that needs the right granted to it.

const SYSTEMS = [
  ['GITHUB_ACTIONS', 'GitHub Actions'],
  ['TF_BUILD', 'Azure Pipelines'],
  ['JENKINS_URL', 'Jenkins'],
  ['GITLAB_CI', 'GitLab CI'],
  ['BUILDKITE', 'Buildkite'],
  ['CIRCLECI', 'CircleCI'],
  ['APPVEYOR', 'AppVeyor'],
  ['TEAMCITY_VERSION', 'TeamCity'],
  ['TRAVIS', 'Travis CI'],
  ['BITBUCKET_BUILD_NUMBER', 'Bitbucket Pipelines'],
  ['CODEBUILD_BUILD_ID', 'AWS CodeBuild'],
  ['CI', 'a CI system (CI)']
]

function set (value) {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

// → { detected: true, name, variable } or { detected: false }
function detectCI (env) {
  for (const [variable, name] of SYSTEMS) {
    if (set(env[variable])) return { detected: true, name, variable }
  }
  return { detected: false, name: null, variable: null }
}

module.exports = { detectCI }
