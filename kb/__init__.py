"""Knowledge base: FAQ categories and articles that customers read and agents read aloud."""
