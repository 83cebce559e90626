package settings

// The tree formats (JSON, XML) find a key by steps from the root. Where a
// step's name is given more than once (a JSON name repeated in an object,
// an XML element repeated under its parent), programs differ in which one
// they take, so every match is followed: each node the key reaches is a
// reading, and each node on the way that lacks the next step is a reading
// in which the key is absent.

// tnode is a node of a tree format.
type tnode interface {
	// children returns the nodes the step name reaches below the node, in
	// document order: several when the name is given more than once.
	children(name string) []tnode
}

// step is one step of a key: a name, and for XML the 1-based index among
// the matches, 0 when the key gives none.
type step struct {
	name  string
	index int
}

// reached is where one reading of a key ends: at the node holding it, or,
// when absent, at the node that lacks the next step.
type reached struct {
	node    tnode
	present bool
}

// walk follows steps from n. pick chooses the match a step without index
// takes in the reading the source gives as its Value (first or last);
// primary is that reading and others every other one, in document order.
func walk(n tnode, steps []step, pick func(step, []tnode) int) (primary reached, others []reached) {
	primary = follow(n, steps, pick)
	var all []reached
	collect(n, steps, &all)
	for _, r := range all {
		if r != primary {
			others = append(others, r)
		}
	}
	return primary, others
}

// follow takes the single path pick chooses.
func follow(n tnode, steps []step, pick func(step, []tnode) int) reached {
	for _, st := range steps {
		kids := match(n, st)
		if len(kids) == 0 {
			return reached{node: n}
		}
		i := len(kids) - 1
		if st.index == 0 {
			i = pick(st, kids)
		}
		n = kids[i]
	}
	return reached{node: n, present: true}
}

// collect takes every path. Each node is visited at most once, since the
// children of distinct nodes are distinct: the readings are bounded by the
// size of the document.
func collect(n tnode, steps []step, out *[]reached) {
	if len(steps) == 0 {
		*out = append(*out, reached{node: n, present: true})
		return
	}
	kids := match(n, steps[0])
	if len(kids) == 0 {
		*out = append(*out, reached{node: n})
		return
	}
	for _, k := range kids {
		collect(k, steps[1:], out)
	}
}

// match is the children a step reaches: all matches of its name, or the
// one its index names.
func match(n tnode, st step) []tnode {
	kids := n.children(st.name)
	if st.index == 0 {
		return kids
	}
	if st.index > len(kids) {
		return nil
	}
	return kids[st.index-1 : st.index]
}

func pickLast(_ step, kids []tnode) int { return len(kids) - 1 }
