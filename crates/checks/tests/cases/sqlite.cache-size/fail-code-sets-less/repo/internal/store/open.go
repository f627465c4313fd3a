package store

import "database/sql"

// Open opens the service's database.
func Open(path string) (*sql.DB, error) {
	return sql.Open("sqlite3",
		"file:"+path+"?_journal=WAL&_cache_size=-2000")
}
