package store

// migrations[n] takes the schema from version n to n+1; schema_version records where it is.
var migrations = []string{
	`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`,
	`ALTER TABLE notes ADD COLUMN created_at TIMESTAMP`,
}
