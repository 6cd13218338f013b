FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
COPY . .
# CPU-only torch from the PyTorch index; the rest pinned by constraints.txt.
RUN pip install --extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt -e .
EXPOSE 8000
CMD ["shopbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
