package config

import (
	"github.com/contriblog/contriblog/sources/feed"
	"github.com/contriblog/contriblog/sources/file"
	"github.com/contriblog/contriblog/sources/github"
	"github.com/contriblog/contriblog/sources/ics"
	"github.com/contriblog/contriblog/sources/packages"
	"github.com/contriblog/contriblog/sources/sessionize"
	"github.com/contriblog/contriblog/sources/spec"
	"github.com/contriblog/contriblog/sources/stackexchange"
)

// SourceTypes are the types of source a config may name, in contract
// order (messages list them in this order). Each describes itself in its
// own package; adding a type is one package and one line here.
var SourceTypes = []*spec.Type{
	&feed.Spec,
	&github.Spec,
	&ics.Spec,
	&sessionize.Spec,
	&file.Spec,
	&stackexchange.Spec,
	&packages.Spec,
}
