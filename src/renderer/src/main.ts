import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter, moveWallPathToHash } from './router'
import './styles.css'

moveWallPathToHash(window.location, window.history)
createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')
