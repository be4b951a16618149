package pgha

import (
	"errors"
	"fmt"
)

// ProblemNotAllowed is a node whose host is outside the nodeHosts allow-list: never connected to.
const ProblemNotAllowed Problem = "host not allowed"

// notAllowed is the reading of a node the backend refused to connect to.
func notAllowed(ep Endpoint) *Failure {
	return &Failure{Target: ep.Label(), Problem: ProblemNotAllowed,
		Detail: fmt.Sprintf("the monitor lists host %q, which is not in the data source's node host allow-list (nodeHosts); "+
			"not connected, so no node password was sent", ep.Host)}
}

// IsNotAllowed tells a node refused by the allow-list (the backend chose not to connect) from a
// node that did not answer.
func IsNotAllowed(err error) bool {
	var f *Failure
	return errors.As(err, &f) && f.Problem == ProblemNotAllowed
}
