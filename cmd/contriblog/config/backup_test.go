package config

import "testing"

func TestBackup(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      Backup
	}{
		{"absent", "database: /var/lib/cl/c.db\n", Backup{Keep: DefaultBackupKeep, Dir: "/var/lib/cl/backups"}},
		{"null", "database: /var/lib/cl/c.db\nbackup:\n", Backup{Keep: DefaultBackupKeep, Dir: "/var/lib/cl/backups"}},
		{"relative database", "database: data/c.db\n", Backup{Keep: DefaultBackupKeep, Dir: "/srv/cl/data/backups"}},
		{"keep only", "database: /db/c.db\nbackup: {keep: 30}\n", Backup{Keep: 30, Dir: "/db/backups"}},
		{"keep empty", "database: /db/c.db\nbackup: {keep: }\n", Backup{Keep: DefaultBackupKeep, Dir: "/db/backups"}},
		{"none", "database: /db/c.db\nbackup: {keep: 0}\n", Backup{Keep: 0, Dir: "/db/backups"}},
		{"absolute dir", "backup: {keep: 3, dir: /mnt/usb/cl}\n", Backup{Keep: 3, Dir: "/mnt/usb/cl"}},
		{"relative dir", "backup:\n  dir: ./snapshots/../bk\n", Backup{Keep: DefaultBackupKeep, Dir: "/srv/cl/bk"}},
		{"home dir", "backup: {dir: ~/cl-backups}\n", Backup{Keep: DefaultBackupKeep, Dir: "/home/priya/cl-backups"}},
		{"from the environment", "backup: {keep: \"${KEEP}\", dir: \"${BK}\"}\n", Backup{Keep: 5, Dir: "/var/bk"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustParse(t, tc.src+"sources: []\n", testOptions("KEEP", "5", "BK", "/var/bk"))
			if cfg.Backup != tc.want {
				t.Errorf("Backup = %+v, want %+v", cfg.Backup, tc.want)
			}
		})
	}
}
