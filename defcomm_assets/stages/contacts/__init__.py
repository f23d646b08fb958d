"""Stage contacts: reports of one real-world contact across articles grouped (grouping), stored incrementally
(store)."""
