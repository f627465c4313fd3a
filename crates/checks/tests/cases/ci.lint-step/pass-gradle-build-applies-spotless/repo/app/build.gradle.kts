plugins {
    kotlin("jvm") version "2.0.21"
    id("com.diffplug.spotless") version "6.25.0"
}

spotless {
    kotlin { ktlint() }
}
