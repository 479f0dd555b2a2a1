"""Self-supervised learning: unlabelled text turned into (input, target) pairs for next-word prediction."""

text = "the cat sat on the mat because the mat was warm"
words = text.split()

# Every prefix of the text is an input X, and the word that follows it is its label Y.
# Nobody wrote the labels: the data supplies them.
pairs = [(words[:i], words[i]) for i in range(1, len(words))]
for context, target in pairs[:5]:
    print(f"X = {' '.join(context):<22} ->  Y = {target}")
print("...")
print(f"{len(words)} words of raw text give {len(pairs)} labelled training pairs")

# A language model sees only a fixed window of recent words; with a window of 3:
window = [(tuple(words[i - 3:i]), words[i]) for i in range(3, len(words))]
print(f"with a 3-word window: {len(window)} pairs, the first is {window[0]}")
