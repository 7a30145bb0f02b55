package harvester

import (
	"strings"
	"testing"
)

// benchAreas is a config's worth of areas, keywords of every kind.
var benchAreas = []Area{
	{".NET", []string{".net", "c#", "asp.net", "blazor", "f#"}},
	{"C++", []string{"c++", "msvc", "cmake"}},
	{"Developer Tools", []string{"go", "golang", "vs code", "visual studio", "github copilot"}},
	{"Web Development", []string{"node.js", "typescript", "javascript", "react", "web api"}},
	{"DevOps", []string{"devops", "github actions", "azure pipelines", "ci/cd"}},
	{"Identity & Access", []string{"entra", "conditional access", "zero trust", "passkeys", "fido2"}},
	{"Azure Infrastructure as Code", []string{"bicep", "terraform", "arm template"}},
	{"Azure Kubernetes and Open Source", []string{"aks", "kubernetes", "k8s", "helm"}},
	{"Python", []string{"python", "pandas", "jupyter"}},
	{"PowerShell", []string{"powershell", "pwsh"}},
}

// benchText is a row's text as tagRow joins it: a title, a description
// of about 1,000 characters and categories.
var benchText = strings.ToLower("Zero Trust for landing zones: Conditional Access with Bicep\n" +
	strings.Repeat("We walk through the policies, going from report-only to enforced, with what-if and Google-style reviews; ", 9) +
	"\nazure\nidentity\nbicep")

func BenchmarkTagAreas(b *testing.B) {
	t := newTagger(benchAreas)
	b.ReportAllocs()
	for b.Loop() {
		t.tag(benchText)
	}
}
