# Writes the two bAbI-format fixtures of BabiReaderTests / MemoryNetworkTests (seeded, invented
# names and places in the shape of bAbI task 1): python3 make-fixture.py
import random
rng = random.Random(7)
people = ["Anna", "Bert", "Cleo", "Dirk"]
places = ["attic", "cellar", "porch", "studio", "garage"]
verbs = ["walked to", "ran to", "went to"]
def write(name, stories):
    with open(name, "w") as f:
        for s in range(stories):
            n = 0; where = {}; last = {}
            for q in range(3):
                for _ in range(2):
                    p = rng.choice(people); pl = rng.choice(places)
                    n += 1; f.write(f"{n} {p} {rng.choice(verbs)} the {pl}.\n"); where[p] = pl; last[p] = n
                p = rng.choice(sorted(where)); n += 1
                f.write(f"{n} Where is {p}? \t{where[p]}\t{last[p]}\n")
write("qa1_tiny_train.txt", 60)
write("qa1_tiny_test.txt", 20)
