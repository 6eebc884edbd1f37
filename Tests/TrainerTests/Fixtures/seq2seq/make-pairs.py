#!/usr/bin/env python3
"""Writes pairs.tsv: a small English<TAB>Spanish<TAB>attribution file in the Tatoeba/manythings
layout, made from templates written for Recur's tests (no Tatoeba text). Deterministic: running it
again gives the same bytes. Usage: python3 make-pairs.py > pairs.tsv"""

nouns = [  # English, Spanish, plural, gender
    ("cat", "gato", "gatos", "m"), ("dog", "perro", "perros", "m"), ("house", "casa", "casas", "f"),
    ("book", "libro", "libros", "m"), ("table", "mesa", "mesas", "f"), ("car", "coche", "coches", "m"),
    ("apple", "manzana", "manzanas", "f"), ("window", "ventana", "ventanas", "f"),
    ("letter", "carta", "cartas", "f"), ("key", "llave", "llaves", "f"), ("tree", "árbol", "árboles", "m"),
    ("bird", "pájaro", "pájaros", "m"),
]
adjectives = [("big", "grande", "grande"), ("small", "pequeño", "pequeña"), ("red", "rojo", "roja"),
              ("new", "nuevo", "nueva"), ("old", "viejo", "vieja")]
numbers = [("two", "dos"), ("three", "tres"), ("10", "10")]
credit = "CC-BY 2.0 (France) Attribution: Recur test fixture"

lines = []
def pair(en, es):
    lines.append(f"{en}\t{es}\t{credit}")

for en, es, _, g in nouns:
    art, una = ("el", "un") if g == "m" else ("la", "una")
    pair(f"I see the {en}.", f"Veo {art} {es}.")
    pair(f"Do you have a {en}?", f"¿Tienes {una} {es}?")
    if g == "m":
        pair(f"Do you have a {en}?", f"¿Usted tiene {una} {es}?")
    pair(f"We don't want the {en}!", f"¡No queremos {art} {es}!")
    pair(f"Tom's {en} isn't here.", f"{art.capitalize()} {es} de Tom no está aquí.")
    pair(f"Where is my {en}?", f"¿Dónde está mi {es}?")
    pair(f"I like this {en}.", f"Me gusta {'este' if g == 'm' else 'esta'} {es}.")
    pair(f"Those are my {en}s.", f"{'Esos' if g == 'm' else 'Esas'} son mis {_}.")
    for adj, m, f in adjectives:
        pair(f"The {en} is {adj}.", f"{art.capitalize()} {es} es {m if g == 'm' else f}.")
    for num_en, num_es in numbers:
        pair(f"I bought {num_en} {en}s.", f"Compré {num_es} {_}.")
pair("Go.", "Ve.")
pair("Go.", "Vete.")
pair("Run!", "¡Corre!")
pair("He said \"no\".", "Dijo \"no\".")
pair("Wait, Tom.", "Espera, Tom.")
pair("This sentence is deliberately much longer than the limit that the tests set for the number of words.",
     "Esta frase es a propósito mucho más larga que el límite que las pruebas fijan para el número de palabras.")
print("\n".join(lines))
