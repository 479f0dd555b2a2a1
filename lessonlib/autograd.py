r"""A tiny reverse-mode autograd engine over scalars, in the style of micrograd.

A [`Value`][lessonlib.autograd.Value] holds a number (``data``), the derivative of the final output
with respect to it (``grad``), and how it was made: its parents and a
``_backward`` closure holding the *local* chain rule of the operation. Each
operation computes its forward value and defines its backward step side by
side. [`Value.backward`][lessonlib.autograd.Value.backward] visits the graph in reverse topological order, so
every node's ``grad`` is complete before it is passed on to its parents:

$$
\frac{\partial L}{\partial a} = \sum_{c \,:\, a \to c}
    \frac{\partial L}{\partial c} \, \frac{\partial c}{\partial a}
$$

(the sum over every node $c$ computed from $a$: hence ``grad`` accumulates
with ``+=``). Only $+$, $\times$, powers by a constant, $\exp$, $\log$,
$\tanh$ and ReLU are primitives; subtraction, division and negation are built
from them.

Examples:
    >>> a, b = Value(2.0), Value(-3.0)
    >>> L = (a * b + a.exp()).tanh()
    >>> L.backward()
    >>> round(L.data, 4), round(a.grad, 4), round(b.grad, 4)
    (0.883, 0.9672, 0.4408)

References:
    A. Karpathy, micrograd, 2020, https://github.com/karpathy/micrograd
"""

import math
import numbers
from collections.abc import Callable

from lessonlib._checks import check_number


class Value:
    r"""A scalar that remembers how it was computed, for backpropagation.

    Args:
        data: The number (a real number: an ``int`` or ``float``, not a
            ``bool``).

    Raises:
        TypeError: ``data``, or an operand or exponent, is not a real number
            (or, for operands, a ``Value``).
        ValueError: ``log`` of a non-positive value.

    Examples:
        >>> x = Value(3.0)
        >>> y = x**2 / 2 - 1 / x
        >>> y.backward()
        >>> y.data, round(x.grad, 4)  # dy/dx = x + 1/x²
        (4.166..., 3.1111)

    Note:
        ``backward`` sets the output's ``grad`` to 1 and recomputes the grads
        of the values in between; the leaves' (the inputs') grads add up over
        passes, as in ``torch``, so reset them (``x.grad = 0.0``) before a new
        one. micrograd does not reset the values in between, so in a second
        pass there each of them passes on its old grad as well as the new one,
        and the leaves below them get more than twice the true gradient (for
        ``a * b + c``, ``a.grad`` ends at ``3 * b``, not ``2 * b``).
    """

    def __init__(self, data: float, _parents: tuple["Value", ...] = (), _op: str = "") -> None:
        self.data = check_number("data", data)
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None  # the local chain rule, set by the op that made it
        self._parents = _parents
        self._op = _op

    @staticmethod
    def _wrap(other: "Value | float") -> "Value":
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            raise TypeError(f"Invalid operand: {other!r} (must be a Value or a real number)")
        return Value(other)

    # ---- primitives: forward value and local derivative side by side

    def __add__(self, other: "Value | float") -> "Value":
        other = Value._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: "Value | float") -> "Value":
        other = Value._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: float) -> "Value":
        check_number("k", k)
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward() -> None:  # d(a^k)/da = k a^(k-1)
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward() -> None:  # d(e^a)/da = e^a
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> "Value":
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got {self.data!r}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward() -> None:  # d(ln a)/da = 1/a
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:  # d(tanh a)/da = 1 - tanh(a)^2
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward() -> None:  # d(relu a)/da = 1 if a > 0 else 0
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    # ---- derived operations, built from the primitives

    def __neg__(self) -> "Value":  # -a
        return self * -1

    def __sub__(self, other: "Value | float") -> "Value":  # a - b
        return self + (-Value._wrap(other))

    def __truediv__(self, other: "Value | float") -> "Value":  # a / b
        return self * Value._wrap(other) ** -1

    def __radd__(self, other: float) -> "Value":  # other + a
        return self + other

    def __rmul__(self, other: float) -> "Value":  # other * a
        return self * other

    def __rsub__(self, other: float) -> "Value":  # other - a
        return Value._wrap(other) - self

    def __rtruediv__(self, other: float) -> "Value":  # other / a
        return Value._wrap(other) / self

    # ---- backpropagation

    def backward(self) -> None:
        """Fill in ``grad`` of every ``Value`` this one depends on: d self / d node."""
        order: list[Value] = []
        seen: set[Value] = set()

        def visit(v: Value) -> None:  # depth-first: a node joins the order after all its parents
            if v not in seen:
                seen.add(v)
                for parent in v._parents:
                    visit(parent)
                order.append(v)

        visit(self)
        for v in order:  # interior grads are this pass's; leaves accumulate, as in torch
            if v._parents:
                v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            v._backward()

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"
