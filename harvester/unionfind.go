package harvester

// unionFind is a disjoint-set forest whose roots are the smallest index of
// their set, so that the partition does not depend on union order.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

// union joins the sets of a and b and reports whether they were apart.
func (u unionFind) union(a, b int) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u[rb] = ra
	return true
}

// groups lists the sets, each sorted, in order of their smallest member.
func (u unionFind) groups() [][]int {
	byRoot := make(map[int]int, len(u)/2)
	var out [][]int
	for i := range u {
		r := u.find(i)
		g, ok := byRoot[r]
		if !ok {
			g = len(out)
			byRoot[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}

// edgeSet collects the pairs the rules join. It keeps only the pairs that
// join two sets not yet joined (a spanning forest), so that a rule that
// finds the same pair many times costs nothing later; the forest gives the
// same partition as every pair would.
type edgeSet struct {
	uf    unionFind
	edges [][2]int
}

func newEdgeSet(n int) *edgeSet { return &edgeSet{uf: newUnionFind(n)} }

func (s *edgeSet) add(a, b int) {
	if a != b && s.uf.union(a, b) {
		s.edges = append(s.edges, [2]int{a, b})
	}
}
