"""Questions a worker thread asks the person, answered on the GUI thread.

An ssh login runs in a worker thread and may need a password; Tk may only
be touched from its own thread.  The worker calls ``ask()`` and blocks;
the GUI polls ``next_question()`` from a timer, shows a dialog, and calls
``answer()``.  Stdlib only: the transport gets ``ask`` as a plain callable.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field


@dataclass
class Question:
    prompt: str
    secret: bool = True
    reply: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class PromptRequests:
    """A thread-safe line of questions, one answer each."""

    def __init__(self) -> None:
        self._questions: queue.Queue[Question] = queue.Queue()

    def ask(self, prompt: str, timeout: float | None = None) -> str | None:
        """Worker thread: wait for the answer (``None``: cancelled or timed out)."""
        question = Question(prompt)
        self._questions.put(question)
        question.done.wait(timeout)
        return question.reply

    def next_question(self) -> Question | None:
        """GUI thread: the oldest unanswered question, if any."""
        try:
            return self._questions.get_nowait()
        except queue.Empty:
            return None

    @staticmethod
    def answer(question: Question, reply: str | None) -> None:
        """GUI thread: release the worker with ``reply`` (``None`` cancels)."""
        question.reply = reply
        question.done.set()
