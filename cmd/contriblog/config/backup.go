package config

import (
	"math"
	"path/filepath"

	"github.com/contriblog/contriblog/sources/yamldoc"
)

// backupKeys are the keys of backup:.
var backupKeys = []string{"keep", "dir"}

// backup reads backup: {keep, dir} into cfg.Backup, with the defaults for
// what is absent: keep DefaultBackupKeep, dir "backups" beside the
// database. It runs after database, whose directory it needs.
func (p *parser) backup(top map[string]field, cfg *Config) {
	cfg.Backup = Backup{Keep: DefaultBackupKeep}
	if f, ok := top["backup"]; ok {
		fields, _ := p.mapping(f.Val, "backup")
		for _, kf := range fields {
			key := yamldoc.Sub("backup", kf.Key)
			switch kf.Key {
			case "keep":
				if yamldoc.Absent(kf.Val) {
					continue // keep: with no value is the default, as for any key
				}
				v, ok := p.integer(kf.Val, key)
				switch {
				case !ok:
				case v < 0:
					p.errorf(kf.Val, key, "expected 0 (no backups) or more, got %d", v)
				case v > math.MaxInt32:
					p.errorf(kf.Val, key, "%d backups is out of range", v)
				default:
					cfg.Backup.Keep = int(v)
				}
			case "dir":
				cfg.Backup.Dir, _ = p.path(kf, key, cfg.Dir)
			default:
				p.unknownKey(kf, "backup", backupKeys)
			}
		}
	}
	if cfg.Backup.Dir == "" && cfg.Database != "" {
		cfg.Backup.Dir = filepath.Join(filepath.Dir(cfg.Database), "backups")
	}
}
