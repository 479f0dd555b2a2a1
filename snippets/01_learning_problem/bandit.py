"""Reinforcement learning in miniature: an agent learns which of three slot machines pays best, from rewards alone."""

import random

from lessonlib.book.publish import publish

rng = random.Random(0)

# The environment: three slot machines. Each pays a noisy reward around its own mean; the agent never sees the means.
hidden_means = [0.2, 0.5, 0.8]


def environment(action):
    """Pull the machine numbered action and return the reward it pays."""
    if action not in range(len(hidden_means)):
        raise ValueError(f"Invalid action: {action!r} (the machines are numbered 0 to {len(hidden_means) - 1})")
    return rng.gauss(hidden_means[action], 0.3)


# The agent: the average reward it has had from each machine, and a policy built on those averages.
estimates, counts = [0.0, 0.0, 0.0], [0, 0, 0]
epsilon = 0.1  # how often to explore: try a random machine instead of the best-looking one


def policy():
    if rng.random() < epsilon:
        return rng.randrange(3)  # explore
    return max(range(3), key=lambda a: estimates[a])  # exploit what it has learned so far


total = 0.0
for step in range(1, 1001):
    action = policy()
    reward = environment(action)
    counts[action] += 1
    estimates[action] += (reward - estimates[action]) / counts[action]  # running mean of this machine's rewards
    total += reward
    if step in (10, 100, 1000):
        print(f"after {step:4d} pulls: average reward {total / step:.2f}, pulls per machine {counts}")

print(f"estimated rewards {[round(e, 2) for e in estimates]}; the hidden means are {hidden_means}")
print(f"the learned policy pulls machine {estimates.index(max(estimates))}, except when it explores")
publish(average_reward=total / 1000, best_machine_pulls=counts[2], learned_machine=estimates.index(max(estimates)))
