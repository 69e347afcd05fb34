package transport

import "strconv"

// DefaultMaxPages is how many pages a list that follows next-page tokens on
// its own (an iterator over every page, a waiter's poll) fetches at most,
// unless the service's Options say otherwise. A list that still has a next
// page after that is more likely a service or proxy handing out new tokens
// forever than a real list: the operations here filter by one resource, and
// a page holds up to 100 items.
const DefaultMaxPages = 100

// PageLimitError ends a listing that fetched Limit pages and was still given
// a next-page token. Each page was an ordinary call (paced by the Limiter,
// retried as the policy says); the cap keeps one listing, or one poll of a
// waiter, from paging without end. Raise the service's MaxPages option for
// a list that is really that long.
type PageLimitError struct {
	// Limit is the cap that was reached: the pages fetched.
	Limit int
}

func (e *PageLimitError) Error() string {
	return "gave up after " + strconv.Itoa(e.Limit) + " pages (the MaxPages cap): the service kept sending a next-page token"
}
