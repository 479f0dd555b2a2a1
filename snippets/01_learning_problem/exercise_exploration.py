"""Exercise: how much should the bandit agent explore? A hundred agents for each value of epsilon."""

import random

from lessonlib.book.publish import publish

hidden_means = [0.2, 0.5, 0.8]


def run_agent(epsilon, seed, pulls=500):
    """One agent, as in bandit.py; returns its average reward and the machine its estimates favour at the end."""
    if not 0 <= epsilon <= 1:
        raise ValueError(f"Invalid epsilon: {epsilon!r} (a probability, between 0 and 1)")
    rng = random.Random(seed)
    estimates, counts, total = [0.0, 0.0, 0.0], [0, 0, 0], 0.0
    for _ in range(pulls):
        if rng.random() < epsilon:
            action = rng.randrange(3)
        else:
            action = max(range(3), key=lambda a: estimates[a])
        reward = rng.gauss(hidden_means[action], 0.3)
        counts[action] += 1
        estimates[action] += (reward - estimates[action]) / counts[action]
        total += reward
    return total / pulls, estimates.index(max(estimates))


results = {}  # epsilon -> (agents that found machine 2, mean average reward)
print("epsilon   agents that found machine 2   mean average reward")
for epsilon in [0.0, 0.01, 0.1, 0.5]:
    runs = [run_agent(epsilon, seed) for seed in range(100)]
    found = sum(best == 2 for _, best in runs)
    results[epsilon] = (found, sum(r for r, _ in runs) / len(runs))
    print(f"{epsilon:7.2f}   {found:19d} of 100   {results[epsilon][1]:19.3f}")

publish(
    found_never_exploring=results[0.0][0],
    missed_exploring_rarely=100 - results[0.01][0],
    reward_exploring_half=results[0.5][1],
    best_epsilon=max(results, key=lambda e: results[e][1]),
)
