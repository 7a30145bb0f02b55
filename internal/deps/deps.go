package deps

import (
	_ "github.com/arran4/golang-ical"
	_ "github.com/google/go-github/v60/github"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/mmcdole/gofeed/atom"
	_ "github.com/mmcdole/gofeed/extensions"
	_ "github.com/mmcdole/gofeed/json"
	_ "github.com/mmcdole/gofeed/rss"
	_ "github.com/robfig/cron/v3"
	_ "github.com/teambition/rrule-go"
	_ "go.etcd.io/bbolt"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/term"
	_ "golang.org/x/text/runes"
	_ "golang.org/x/text/transform"
	_ "golang.org/x/text/unicode/norm"
)
