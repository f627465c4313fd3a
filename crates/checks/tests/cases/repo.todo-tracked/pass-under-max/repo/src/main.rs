fn main() {
    // TODO: handle errors
}
