"""A small Metaflow flow: two steps and one artifact (tests/test_full_example.py runs it)."""

from metaflow import FlowSpec, step


class HelloFlow(FlowSpec):
    @step
    def start(self):
        self.message = "hello from the emulator"
        self.next(self.end)

    @step
    def end(self):
        print(self.message)


if __name__ == "__main__":
    HelloFlow()
