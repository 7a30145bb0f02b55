package harvester

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSeparators introduce a trailing site or feed name in a title
// ("Zero Trust in Practice | Priya's Blog").
var titleSeparators = []string{" | ", " - ", " — ", " – ", " · "}

// NormalizeTitle returns the form of title under which the same work
// listed in two places compares equal (docs/deduplication.md#rule-3-same-work-same-time): lower-cased,
// accents kept, punctuation, dashes, quotes and symbols folded to spaces,
// whitespace collapsed, and a trailing " | X", " - X" or " — X" dropped
// when X is feedTitle (compared normalised), the feed's own name.
func NormalizeTitle(title, feedTitle string) string {
	return foldTitle(DisplayTitle(title, feedTitle))
}

// DisplayTitle is title without a trailing " | X", " - X" or " — X" where
// X is feedTitle, the name of the feed it came from: the log shows "Zero
// Trust in Practice", not "Zero Trust in Practice | Priya's Blog". Any
// other title is returned unchanged.
func DisplayTitle(title, feedTitle string) string {
	return displayTitle(title, foldTitle(feedTitle))
}

// displayTitle is DisplayTitle with the feed title already folded.
func displayTitle(title, ft string) string {
	if ft == "" {
		return title
	}
	best, sepLen := lastSeparator(title)
	if best <= 0 {
		return title
	}
	head, tail := title[:best], title[best+sepLen:]
	if foldTitle(tail) != ft || foldTitle(head) == "" {
		return title
	}
	return strings.TrimSpace(head)
}

// separatorStart marks the bytes that follow the space of a separator.
var separatorStart = func() (m [256]bool) {
	for _, sep := range titleSeparators {
		m[sep[1]] = true
	}
	return m
}()

// lastSeparator finds the last of the titleSeparators in title (-1 when
// there is none) and its length. They all start with a space, so one walk
// back over the spaces finds it.
func lastSeparator(title string) (at, n int) {
	for end := len(title); ; {
		i := strings.LastIndexByte(title[:end], ' ')
		if i < 0 {
			return -1, 0
		}
		// Most spaces are between words: the byte after one tells.
		if i+1 < len(title) && separatorStart[title[i+1]] {
			for _, sep := range titleSeparators {
				if strings.HasPrefix(title[i:], sep) {
					return i, len(sep)
				}
			}
		}
		end = i
	}
}

// foldTitle lower-cases s, turns every rune that is not a letter, digit or
// combining mark into a space and collapses spaces.
func foldTitle(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldUnicode(s)
		}
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			space = true
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		b = append(b, c)
	}
	return string(b)
}

// foldUnicode is foldTitle for text beyond ASCII.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// genericWords say what kind of thing a title names, not which one:
// "Episode 12", "Live stream", "Untitled post" identify nothing.
var genericWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "and": true, "in": true, "on": true, "at": true,
	"to": true, "for": true, "with": true, "by": true, "my": true, "our": true, "new": true,
	"part": true, "episode": true, "ep": true, "chapter": true, "session": true, "talk": true,
	"video": true, "live": true, "stream": true, "livestream": true, "podcast": true, "post": true,
	"update": true, "updates": true, "news": true, "weekly": true, "monthly": true, "daily": true,
	"untitled": true, "draft": true, "event": true, "meetup": true, "webinar": true, "show": true,
	"week": true, "day": true, "ama": true, "recap": true, "notes": true,
}

// titleQualifies says whether a normalised title is specific enough to
// name one work by itself (rules 3 and 3b): at least three words, two of
// them informative, that is neither numbers nor generic words. "Fix
// typo", "Episode 12" and "Untitled session" are too vague; "Zero Trust in
// Practice" is not.
func titleQualifies(nt string) bool {
	words, informative := 0, 0
	for rest := nt; rest != ""; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if w == "" {
			continue
		}
		words++
		if !genericWords[w] && strings.TrimFunc(w, unicode.IsDigit) != "" {
			informative++
		}
		if words >= 3 && informative >= 2 {
			return true // the rest of a long title changes nothing
		}
	}
	return false
}

// containsWords reports whether the normalised title long contains short
// as a whole-word sequence, short being a qualifying title (rule 3b).
func containsWords(long, short string) bool {
	return titleQualifies(short) && containsSeq(long, short)
}

// containsSeq reports whether short occurs in long as whole words.
func containsSeq(long, short string) bool {
	if short == "" || len(short) > len(long) {
		return false
	}
	for i := 0; i+len(short) <= len(long); {
		j := strings.Index(long[i:], short)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(short)
		if (at == 0 || long[at-1] == ' ') && (end == len(long) || long[end] == ' ') {
			return true
		}
		i = at + 1
	}
	return false
}
