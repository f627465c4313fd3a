fn main() {
    let store = std::env::var("APP_STORE").unwrap_or_default();
    println!("{store}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_fixture_variable() {
        let _ = std::env::var("FIXTURE_ONLY_URL");
    }
}
