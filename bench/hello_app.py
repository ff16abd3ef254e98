"""The ceiling of the load benchmark: the smallest FastAPI app, served the same way and loaded by the same client."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello() -> dict[str, str]:
    return {"hello": "world"}
