fn main() {
    let db = std::env::var("DATABASE_URL").unwrap();
    let dsn = std::env::var("SENTRY_DSN").ok();
}
