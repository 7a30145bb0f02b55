package demo

// configTemplate is the demo's config: one person's sources, as a real
// user would write them, pointing at the loopback server.
const configTemplate = `# contriblog demo config: every URL points at the loopback sample server.
person: {{PERSON}}
database: ./contriblog.db
timezone: Europe/Amsterdam
areas:
  Identity & Access: [entra, "conditional access", fido2, passkeys, identity]
  Azure Infrastructure as Code: [bicep, terraform, landing zone]
sources:
  - name: blog
    type: feed
    url: {{URL}}/feeds/blog.xml
    activity: Blog
    priority: 10
  - name: devto
    type: feed
    url: {{URL}}/feeds/devto.xml
    activity: Blog
  - name: medium
    type: feed
    url: {{URL}}/feeds/medium.xml
    activity: Blog
  - name: youtube
    type: feed
    url: {{URL}}/feeds/youtube.xml
    activity: Webinar/Online Training/Video/Livestream
  - name: cloud-cafe
    type: feed
    url: {{URL}}/feeds/podcast.xml
    activity: Podcast
    match: ["{{PERSON}}"]
  - name: github
    type: github
    user: priyar
    base_url: {{URL}}/github/
  - name: talks
    type: ics
    url: {{URL}}/ics/talks.ics
  - name: usergroup
    type: ics
    url: {{URL}}/ics/usergroup.ics
    match: ["{{PERSON}}"]
  - name: cloudsummit
    type: sessionize
    url: {{URL}}/sessionize/cloudsummit.json
    speaker: {{PERSON}}
    event: Cloud Summit
  - name: manual
    type: file
    path: ./manual.yaml
  - name: stackoverflow
    type: stackexchange
    user: "4211001"
    base_url: {{URL}}/stackexchange/2.3
  - name: packages
    type: packages
    npm: ["@priyar/bicep-landing-zone"]
    nuget: [Priya.Passkeys.Rollout]
    npm_base_url: {{URL}}/packages/npm
    npm_registry_url: {{URL}}/packages/registry
    nuget_base_url: {{URL}}/packages/nuget
`
