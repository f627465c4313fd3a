package store

const testDSN = "file::memory:?_cache_size=-500000"
