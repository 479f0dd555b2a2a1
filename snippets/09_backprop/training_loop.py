"""Forward → loss → backward → update: the engine trains a 2-3-1 network on XOR with plain gradient descent."""

import random

from lessonlib.autograd import Value

rng = random.Random(0)
X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
Y = [0.0, 1.0, 1.0, 0.0]

hidden = 3
W1 = [[Value(rng.uniform(-1, 1)) for _ in range(2)] for _ in range(hidden)]
b1 = [Value(0.0) for _ in range(hidden)]
w2 = [Value(rng.uniform(-1, 1)) for _ in range(hidden)]
b2 = Value(0.0)
params = [w for row in W1 for w in row] + b1 + w2 + [b2]
print(f"{len(params)} parameters")


def predict(x):
    h = [sum((W1[j][i] * x[i] for i in range(2)), b1[j]).tanh() for j in range(hidden)]
    return sum((w2[j] * h[j] for j in range(hidden)), b2)


lr = 0.2
for step in range(301):
    loss = sum(((predict(x) - y) ** 2 for x, y in zip(X, Y)), Value(0.0)) / len(X)  # 1. forward, 2. loss
    for p in params:
        p.grad = 0.0  # reset: the leaves' grads accumulate
    loss.backward()  # 3. backward
    for p in params:
        p.data -= lr * p.grad  # 4. update: θ ← θ − α ∇L(θ)
    if step in (0, 50, 100, 200, 300):
        print(f"step {step:3d}: loss {loss.data:.5f}")

print("predictions:", [round(predict(x).data, 3) for x in X], "targets:", Y)
