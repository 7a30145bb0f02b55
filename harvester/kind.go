package harvester

// Kind is what an observation is, finer than its activity family: a
// source that knows says so in Meta["kind"] (GitHub: "pull_request",
// "issue", "release", "repository"); otherwise it follows from the
// family: "post" (writing), "episode" (a podcast), "video" (other media),
// "talk" (speaking), "entry" (code without a kind: a hand-kept entry),
// else the family itself. Rule 3 never joins two code contributions of
// different kinds: a pull request is never the issue it fixes
// (docs/deduplication.md#rule-3-same-work-same-time).
func (o *Observation) Kind(v *Vocabulary) string {
	if k := o.Meta["kind"]; k != "" {
		return k
	}
	switch f := v.Family(o.ActivityType); f {
	case FamilyWriting:
		return "post"
	case FamilyMedia:
		if o.ActivityType == TypePodcast {
			return "episode"
		}
		return "video"
	case FamilySpeaking:
		return "talk"
	case FamilyCode:
		return "entry"
	default:
		return f
	}
}
