"""Exercise: k-means with k = 2 on two moons, against the true moons and against k-nearest neighbours."""

import torch

from lessonlib.book.publish import publish
from lessonlib.cluster import KMeans
from lessonlib.data import train_val_test_split, two_moons
from lessonlib.neighbors import KNeighborsClassifier

torch.set_num_threads(1)  # tensors this small run faster on one thread than on two
X, y = two_moons(400, noise=0.1, seed=0)
X = X.double()  # float64 distances: no near-tie is decided by float32 rounding
km = KMeans(n_clusters=2, n_init=10, seed=0).fit(X)
agree = (km.labels_ == y).double().mean().item()
agree = max(agree, 1 - agree)  # cluster numbers are arbitrary: take the better of the two matchings
print(f"k-means clusters match the moons for {agree:.3f} of the points")

# The boundary between two k-means clusters is the perpendicular bisector of their centres: a straight line.
c0, c1 = km.cluster_centers_
print(f"centres ({c0[0]:.2f}, {c0[1]:.2f}) and ({c1[0]:.2f}, {c1[1]:.2f})")

X_train, _, X_test, y_train, _, y_test = train_val_test_split(X, y, proportions=(0.5, 0.25, 0.25), seed=0)
knn = KNeighborsClassifier(n_neighbors=15).fit(X_train, y_train)
knn_acc = (knn.predict(X_test) == y_test).double().mean().item()
print(f"15-NN, trained with the labels: test accuracy {knn_acc:.3f}")
publish(kmeans_agreement=agree, knn_test_accuracy=knn_acc)
