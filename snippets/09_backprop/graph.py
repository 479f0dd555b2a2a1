"""The computational graph of one neuron and its loss, L = (tanh(w·x + b) − y)², drawn with every node's value and gradient."""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from lessonlib.autograd import Value
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish

use_book_style()

x, w, b, y = Value(2.0), Value(-0.5), Value(0.3), Value(1.0)
wx = w * x
z = wx + b  # the pre-activation
a = z.tanh()  # the activation
e = a - y  # the error; Value builds a − y as a + (y · −1)
L = e**2  # the squared error
L.backward()
minus_y = e._parents[1]
minus_one = minus_y._parents[1]

# Walk the graph: every node, in topological order (each after the nodes it is made from).
names = {id(x): "x", id(w): "w", id(b): "b", id(y): "y", id(wx): "wx", id(z): "z", id(a): "a",
         id(minus_one): "−1", id(minus_y): "−y", id(e): "e", id(L): "L"}
nodes, seen = [], set()


def visit(v):
    if id(v) not in seen:
        seen.add(id(v))
        for p in v._parents:
            visit(p)
        nodes.append(v)


visit(L)
edges = sum(len(v._parents) for v in nodes)
print(f"{len(nodes)} nodes, {edges} edges")
print(f"{'node':<8}{'op':<6}{'value':>9}{'dL/dnode':>11}")
for v in nodes:
    print(f"{names[id(v)]:<8}{v._op or 'leaf':<6}{v.data:>9.4f}{v.grad:>11.4f}")

# Layered layout, right to left: L in the last column, every other node one column
# before the earliest node that uses it.
column = {id(L): 5}
for v in reversed(nodes):
    for p in v._parents:
        column[id(p)] = min(column.get(id(p), column[id(v)]), column[id(v)] - 1)
columns = {}
for v in nodes:
    columns.setdefault(column[id(v)], []).append(v)
pos = {id(v): (2.1 * d, 1.3 * (i - (len(col) - 1) / 2)) for d, col in columns.items() for i, v in enumerate(col)}

fig, ax = plt.subplots(figsize=(12, 3.8))
for v in nodes:
    for p in v._parents:
        ax.annotate("", xy=pos[id(v)], xytext=pos[id(p)],
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=1.2, shrinkA=26, shrinkB=26))
for v in nodes:
    cx, cy = pos[id(v)]
    leaf = not v._parents
    ax.add_patch(FancyBboxPatch((cx - 0.72, cy - 0.42), 1.44, 0.84, boxstyle="round,pad=0.04",
                                fc="#E69F0033" if leaf else "#0072B222", ec="0.3", lw=1))
    title = names[id(v)] + (f"  [{v._op}]" if v._op else "")
    ax.text(cx, cy + 0.2, title, ha="center", va="center", fontsize=10, weight="bold")
    ax.text(cx, cy - 0.02, f"value {v.data:.4f}", ha="center", va="center", fontsize=8.5)
    ax.text(cx, cy - 0.22, f"grad {v.grad:.4f}", ha="center", va="center", fontsize=8.5, color="#D55E00")
ax.set(xlim=(-0.9, 2.1 * max(columns) + 0.9), ylim=(-2.0, 2.1), aspect="equal",
       title="Forward: values flow left to right.  Backward: gradients flow right to left.")
ax.axis("off")
savefig(fig, "computational_graph")

# The chain rule along the path L ← a ← z ← w, by hand.
dL_da = 2 * (a.data - y.data)
da_dz = 1 - a.data**2
print(f"dL/da = 2(a - y) = {dL_da:.4f}")
print(f"da/dz = 1 - a² = {da_dz:.4f}")
print(f"dL/dw = dL/da · da/dz · dz/dw = {dL_da:.4f} · {da_dz:.4f} · {x.data} = {dL_da * da_dz * x.data:.4f}")

publish(
    nodes=len(nodes), edges=edges, a=a.data, e=e.data, L=L.data,
    dL_da=dL_da, da_dz=da_dz, dL_dz=z.grad, dL_dw=w.grad, dL_db=b.grad,
)
