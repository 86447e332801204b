FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=claimsite.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY claimsite claimsite
COPY claims claims
COPY ingest ingest
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "claimsite.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "300"]
