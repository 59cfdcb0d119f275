"""Japanese text front end: normalization, G2P with accents, word2ph, symbol ids."""
