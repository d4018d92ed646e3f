"""Quizzes: rounds with a timer, single and two-player (PK) scoring, and the local leaderboard."""
